/* Opens COUNT SSH sessions one after another with libssh2 in blocking mode, each running
 * `true` once, the way minijail-fleet's engine does. valgrind's callgrind then counts the
 * instructions one session costs in libssh2 and OpenSSL, because callgrind stops with an
 * internal error on the Swift binary. MODE picks how the Ed25519 key signs:
 *   file      libssh2_userauth_publickey_frommemory with the key file only. libssh2
 *             decodes the key twice per session; minijail-fleet did this for every key.
 *   pubkey    the same with the public key line, so libssh2 decodes the key once per
 *             session; minijail-fleet does this for keys other than Ed25519.
 *   callback  libssh2_userauth_publickey, signing with an EVP_PKEY made once, as
 *             minijail-fleet does for an unencrypted Ed25519 key.
 * Usage: session_cost MODE ADDRESS PORT USER KEYFILE COUNT
 * Build: cc -O2 -o session_cost session_cost.c -lssh2 -lcrypto */
#include <arpa/inet.h>
#include <libssh2.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static EVP_PKEY *signing_key;

static int sign(LIBSSH2_SESSION *session, unsigned char **sig, size_t *sig_len,
                const unsigned char *data, size_t data_len, void **abstract) {
    (void)session;
    (void)abstract;
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    size_t length = 64;
    *sig = malloc(64);
    int ok = context && *sig && EVP_DigestSignInit(context, NULL, NULL, NULL, signing_key) == 1 &&
             EVP_DigestSign(context, *sig, &length, data, data_len) == 1;
    EVP_MD_CTX_free(context);
    *sig_len = length;
    return ok ? 0 : -1;
}

static uint32_t get32(const unsigned char *bytes) {
    return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 |
           bytes[3];
}

/* Reads an unencrypted OpenSSH Ed25519 key: the public blob and the 32-byte seed. */
static int read_key(const char *text, unsigned char *blob, size_t *blob_len,
                    unsigned char *seed) {
    const char *begin = strstr(text, "-----\n"), *end = strstr(text, "-----END");
    if (!begin || !end) return -1;
    char body[8192];
    size_t body_len = 0;
    for (const char *c = begin + 6; c < end && body_len < sizeof body - 1; c++)
        if (*c != '\n' && *c != '\r') body[body_len++] = *c;
    static unsigned char raw[8192];
    int raw_len = EVP_DecodeBlock(raw, (unsigned char *)body, (int)body_len);
    if (raw_len < 0) return -1;
    const unsigned char *cursor = raw + 15; /* "openssh-key-v1\0" */
    for (int i = 0; i < 3; i++) cursor += 4 + get32(cursor); /* cipher, kdf, kdf options */
    cursor += 4;                                             /* key count */
    *blob_len = get32(cursor);
    memcpy(blob, cursor + 4, *blob_len);
    cursor += 4 + *blob_len;
    cursor += 4 + 8;                   /* private section length, two check numbers */
    cursor += 4 + get32(cursor);       /* key type */
    cursor += 4 + get32(cursor);       /* public key */
    memcpy(seed, cursor + 4, 32);      /* the seed, then the public key again */
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: session_cost MODE ADDRESS PORT USER KEYFILE COUNT\n");
        return 64;
    }
    const char *mode = argv[1], *user = argv[4];
    FILE *file = fopen(argv[5], "r");
    static char key[8192];
    size_t key_len = file ? fread(key, 1, sizeof key - 1, file) : 0;
    if (!file || key_len == 0) return 66;
    fclose(file);

    unsigned char blob[512], seed[32];
    size_t blob_len = 0;
    if (read_key(key, blob, &blob_len, seed) != 0) return 65;
    signing_key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    static char line[1024];
    unsigned char encoded[700];
    EVP_EncodeBlock(encoded, blob, (int)blob_len);
    snprintf(line, sizeof line, "ssh-ed25519 %s key\n", encoded);

    libssh2_init(0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[3]))};
    inet_pton(AF_INET, argv[2], &address.sin_addr);
    for (int i = 0; i < atoi(argv[6]); i++) {
        int sock = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(sock, (struct sockaddr *)&address, sizeof address) != 0) return 69;
        LIBSSH2_SESSION *session = libssh2_session_init();
        if (libssh2_session_handshake(session, sock) != 0) return 69;
        int rc;
        if (strcmp(mode, "callback") == 0)
            rc = libssh2_userauth_publickey(session, user, blob, blob_len, sign, NULL);
        else
            rc = libssh2_userauth_publickey_frommemory(
                session, user, strlen(user), strcmp(mode, "pubkey") == 0 ? line : NULL,
                strcmp(mode, "pubkey") == 0 ? strlen(line) : 0, key, key_len, NULL);
        if (rc != 0) return 77;
        LIBSSH2_CHANNEL *channel = libssh2_channel_open_session(session);
        if (!channel || libssh2_channel_exec(channel, "true") != 0) return 70;
        libssh2_channel_send_eof(channel);
        char buffer[1024];
        while (libssh2_channel_read(channel, buffer, sizeof buffer) > 0) {
        }
        libssh2_channel_close(channel);
        libssh2_channel_wait_closed(channel);
        libssh2_channel_free(channel);
        libssh2_session_disconnect(session, "done");
        libssh2_session_free(session);
        close(sock);
    }
    EVP_PKEY_free(signing_key);
    libssh2_exit();
    puts("ok");
    return 0;
}
