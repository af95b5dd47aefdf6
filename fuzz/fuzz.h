/*
 * fuzz.h — shared bits of the libFuzzer targets (the fuzz_*.c files here).
 *
 * Each target is one file with LLVMFuzzerTestOneInput (and, for fuzz_app,
 * LLVMFuzzerInitialize). FUZZ_CHECK aborts whatever NDEBUG says, so a broken
 * invariant is a crash libFuzzer saves as an artifact, with the reason on stderr.
 */
#ifndef RENTD_FUZZ_H
#define RENTD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...)                                                                  \
	do {                                                                                   \
		if (!(cond)) {                                                                 \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                          \
			fputc('\n', stderr);                                                   \
			abort();                                                               \
		}                                                                              \
	} while (0)

#endif
