// Count words per first letter in a file and print the counts with the file's CRC-32 (zlib).
#include <zlib.h>

#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

int main(int argc, char **argv) {
    if (argc < 2) {
        std::cerr << "usage: wordstat FILE\n";
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    std::map<char, int> counts;
    std::istringstream words(text);
    std::string word;
    while (words >> word)
        if (std::isalpha(static_cast<unsigned char>(word[0])))
            counts[static_cast<char>(std::tolower(static_cast<unsigned char>(word[0])))]++;
    for (const auto &[letter, n] : counts)
        std::cout << letter << ' ' << n << '\n';
    const auto crc = crc32(0L, reinterpret_cast<const Bytef *>(text.data()), static_cast<uInt>(text.size()));
    std::cout << "crc32 " << std::hex << crc << '\n';
    return 0;
}
