/* SHA-256 (FIPS 180-4), small and dependency-free: evidence digests and the
 * audit log's hash chain. */
#ifndef NETRA_SHA256_H
#define NETRA_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* A running digest. Public so that it can live on the stack; treat the
 * fields as private to sha256.c. */
struct netra_sha256 {
	uint32_t h[8];     /* chaining state */
	uint64_t bytes;    /* bytes absorbed so far */
	uint8_t block[64]; /* partial block */
	size_t fill;       /* bytes used in block */
};

/* Start a digest. */
void netra_sha256_init(struct netra_sha256 *s);

/* Absorb n bytes. */
void netra_sha256_update(struct netra_sha256 *s, const void *p, size_t n);

/* Finish into out (32 bytes). s must be initialised again before reuse. */
void netra_sha256_final(struct netra_sha256 *s, uint8_t out[32]);

/* The digest of n bytes as 64 lower-case hex digits and a NUL (hex, 65
 * bytes). */
void netra_sha256_hex(const void *p, size_t n, char hex[65]);

#endif
