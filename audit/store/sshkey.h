/*
 * sshkey.h - Ed25519 keys in OpenSSH's formats, and SSH signatures (SSHSIG)
 * as git and ssh-keygen make and check them (DESIGN.md section 5).
 *
 * Ownership: struct ss_key holds the secret key in sodium_malloc memory and is
 * freed (wiped) with ss_key_free(). Public keys are plain 32-byte arrays the
 * caller owns. Strings returned through char ** are the caller's (free()).
 */
#ifndef SS_SSHKEY_H
#define SS_SSHKEY_H

#include <stddef.h>

#define SS_PUBKEY_LEN 32
/* "SHA256:" + 43 base64 characters (unpadded) + NUL. */
#define SS_FINGERPRINT_LEN 51

struct ss_key;

/* Make a new key and write it as an unencrypted OpenSSH private key at path,
 * created exclusively (O_EXCL|O_NOFOLLOW) with mode 0600, with `comment`.
 * SS_ECANTCREAT if it exists or cannot be made. *publine is "ssh-ed25519 BASE64 COMMENT". */
int ss_key_generate(const char *path, const char *comment, char **publine);

/* Load an unencrypted OpenSSH Ed25519 private key. SS_ENOINPUT when missing;
 * SS_EPERM when group or others may read it (saying to chmod 600) or when it
 * is encrypted or not Ed25519; SS_EDATA when malformed. */
int ss_key_load(const char *path, struct ss_key **out);
void ss_key_free(struct ss_key *k);
void ss_key_public(const struct ss_key *k, unsigned char pk[SS_PUBKEY_LEN]);
/* The comment stored with the key ("" when none); borrowed from k. */
const char *ss_key_comment(const struct ss_key *k);

/* Parse "ssh-ed25519 BASE64 [comment]"; SS_EDATA when it is not one. */
int ss_pubkey_parse(const char *line, unsigned char pk[SS_PUBKEY_LEN]);
/* "ssh-ed25519 BASE64" (no comment); caller frees. */
char *ss_pubkey_format(const unsigned char pk[SS_PUBKEY_LEN]);
/* As `ssh-keygen -l` prints it: "SHA256:" + unpadded base64 of SHA-256 of the key blob. */
void ss_pubkey_fingerprint(const unsigned char pk[SS_PUBKEY_LEN], char out[SS_FINGERPRINT_LEN]);

/* Sign msg in namespace ns with hash sha512; *armored is the
 * "-----BEGIN SSH SIGNATURE-----" text with a trailing newline, byte-identical
 * to `ssh-keygen -Y sign -n NS`. */
int ss_sshsig_sign(const struct ss_key *k, const char *ns, const void *msg, size_t len,
                   char **armored);

/* Check an armored SSHSIG over msg in namespace ns. 0 and the signer's public
 * key in pk when the signature is good; SS_EFAIL with a reason otherwise. */
int ss_sshsig_verify(const char *armored, size_t armored_len, const char *ns, const void *msg,
                     size_t len, unsigned char pk[SS_PUBKEY_LEN]);

#endif
