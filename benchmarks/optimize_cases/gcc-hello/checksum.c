/* Prints the Adler-32 checksum and byte count of each file named on the command line. */
#include <stdio.h>

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        unsigned long a = 1, b = 0, n = 0;
        int c;
        while ((c = fgetc(f)) != EOF) {
            a = (a + (unsigned char)c) % 65521;
            b = (b + a) % 65521;
            n++;
        }
        fclose(f);
        printf("adler32 %08lx bytes %lu\n", (b << 16) | a, n);
    }
    return 0;
}
