/*
 * pseudonym.h - the pseudonym key, subject and officer pseudonyms, and the
 * redaction of written grounds (DESIGN.md section 4).
 *
 * Ownership: struct ss_pseudo holds the 32-byte key in sodium_malloc memory,
 * read-only except while it is made; ss_pseudo_free() wipes and frees it. No
 * function here prints or returns the key.
 */
#ifndef SS_PSEUDONYM_H
#define SS_PSEUDONYM_H

#include <stddef.h>

#include "buf.h"
#include "record.h"

struct ss_pseudo;

/* Create a new random key at path: exclusive, mode 0600. SS_ECANTCREAT if it exists. */
int ss_pseudo_key_create(const char *path);
/* Load a key: SS_ENOINPUT when missing, SS_EPERM when group/world can read it
 * (the message says how to fix it), SS_EDATA when not exactly 32 bytes. */
int ss_pseudo_key_load(const char *path, struct ss_pseudo **out);
void ss_pseudo_free(struct ss_pseudo *ps);

/* Lowercase hex of BLAKE2b-128("ssaudit-key-fingerprint-v1" 0x00 key). */
void ss_pseudo_fingerprint(const struct ss_pseudo *ps, char out[33]);

/* The subject pseudonym's version (section 4): v1 lower-cases ASCII only; v2
 * folds the name with Unicode (fold.h). A key loads as v2; a trail begun with
 * v1 keeps it (trail.json says which). SS_EDATA for a version not known. */
#define SS_PSEUDO_V1 1
#define SS_PSEUDO_V2 2
int ss_pseudo_set_version(struct ss_pseudo *ps, int version);
int ss_pseudo_version(const struct ss_pseudo *ps);

/* "S-" pseudonym of a subject, in the key's version. DOB as YYYY-MM-DD or DD/MM/YYYY; SS_EDATA
 * when the date is not one of those or not a real date. */
int ss_pseudo_subject(const struct ss_pseudo *ps, const char *name, size_t name_len,
                      const char *dob, size_t dob_len, char out[SS_ID_LEN + 1]);
/* "O-" pseudonym of an officer number (trimmed, ASCII upper-cased). */
int ss_pseudo_officer(const struct ss_pseudo *ps, const char *officer, size_t len,
                      char out[SS_ID_LEN + 1]);

/* Append grounds (or an operation's name) to out with the subject's name and
 * its parts of 2+ letters (compared after the folding of fold.h), the address,
 * and dates, postcodes, PNC ids, vehicle registrations and phone numbers
 * replaced by [subject], [address], [date], [postcode], [pnc], [vrm], [phone].
 * name and address may be NULL. */
int ss_redact_grounds(const char *grounds, size_t len, const char *name, size_t name_len,
                      const char *address, size_t address_len, struct ss_buf *out);

/* Append any other free text that enters the trail (verdict notes, reasons)
 * to out with the patterns above, and officer identifiers ("PC 1234", "DC 56",
 * "Sgt 789", "DP1234") as [officer]. Names cannot be caught here: there is no
 * name to compare with. */
int ss_redact_text(const char *text, size_t len, struct ss_buf *out);

#endif
