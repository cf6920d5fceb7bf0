/* Print the SHA-256 digest of each file named on the command line (OpenSSL's EVP interface). */
#include <openssl/evp.h>
#include <stdio.h>

static int digest_file(const char *path) {
    unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    size_t n;
    FILE *fh = fopen(path, "rb");
    if (!fh) {
        perror(path);
        return 1;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    while ((n = fread(buf, 1, sizeof buf, fh)) > 0)
        EVP_DigestUpdate(ctx, buf, n);
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    fclose(fh);
    for (unsigned int i = 0; i < len; i++)
        printf("%02x", md[i]);
    printf("  %s\n", path);
    return 0;
}

int main(int argc, char **argv) {
    int rc = 0;
    for (int i = 1; i < argc; i++)
        rc |= digest_file(argv[i]);
    return rc;
}
