/* fuzz_options: the boot-option parser on any text, with a print-and-parse-again round trip. */
#include <string.h>

#include "lib/options.h"
#include "tests/fuzz/fuzz.h"

/*
 * The input is the text of the EFI load options or \nestor.cfg, handed over in a buffer
 * of exactly its length (no NUL after it: ASan reports any read past the end); the
 * first byte also picks the error buffer's size (1..64) so truncated messages are
 * exercised. Beyond "no crash", checked:
 *  - a failure leaves a NUL-terminated, non-empty message inside the error buffer;
 *  - a success leaves every value in its documented range and every string
 *    NUL-terminated inside its field;
 *  - round trip: the parsed options, printed back as key=value words (strings quoted
 *    unless they hold a quote), parse to the same values.
 */

static const char *const log_names[] = { "", "error", "warn", "info", "debug", "trace" };
static const char *const fault_names[] = { "none", "pf", "gp", "ud", "divide", "panic" };
static const char *const ioapic_names[] = { "0x20", "0x11" };
static const char *const apicv_names[] = { "off", "on" };

static size_t put(char *buf, size_t at, size_t cap, const char *key, const char *value)
{
	bool quote = !strchr(value, '"');
	int n = snprintf(buf + at, cap - at, quote ? "%s=\"%s\"\n" : "%s=%s\n", key, value);
	FUZZ_CHECK(n > 0 && (size_t)n < cap - at, "round-trip buffer");
	return at + (size_t)n;
}

static void check_string(const char *field, size_t size, const char *name)
{
	FUZZ_CHECK(memchr(field, 0, size), "%s not NUL-terminated", name);
}

static void round_trip(const struct nestor_options *o)
{
	static char text[4096];
	struct nestor_options again;
	char num[16], err[160];
	size_t at = 0;

	at = put(text, at, sizeof(text), "log", log_names[o->log_level]);
	at = put(text, at, sizeof(text), "fault", fault_names[o->fault]);
	snprintf(num, sizeof(num), "%u", o->smp);
	at = put(text, at, sizeof(text), "smp", num);
	snprintf(num, sizeof(num), "%u", o->mem_mb);
	at = put(text, at, sizeof(text), "mem", num);
	at = put(text, at, sizeof(text), "personality", "none");
	at = put(text, at, sizeof(text), "ioapic", ioapic_names[o->ioapic]);
	at = put(text, at, sizeof(text), "apicv", apicv_names[o->apicv]);
	at = put(text, at, sizeof(text), "kernel", o->kernel);
	at = put(text, at, sizeof(text), "initrd", o->initrd);
	at = put(text, at, sizeof(text), "append", o->append);
	options_set_defaults(&again);
	FUZZ_CHECK(options_parse(&again, text, at, err, sizeof(err)),
		   "printed options do not parse: %s\n%s", err, text);
	/* Field by field: a key given twice leaves bytes after the NUL of the first value. */
	FUZZ_CHECK((!strcmp(again.kernel, o->kernel) &&
		   !strcmp(again.initrd, o->initrd) && !strcmp(again.append, o->append) &&
		   again.log_level == o->log_level && again.fault == o->fault &&
		   again.smp == o->smp && again.mem_mb == o->mem_mb && again.ioapic == o->ioapic &&
		   again.apicv == o->apicv && again.personality == o->personality),
		   "round trip differs:\n%s", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nestor_options o;
	size_t errlen = size ? 1 + data[0] % 64 : 64;
	char *err = malloc(errlen), *text = malloc(size ? size : 1);
	bool ok;

	fuzz_quiet_log();
	memcpy(text, data, size);
	memset(err, 0x55, errlen);
	options_set_defaults(&o);
	ok = options_parse(&o, text, size, err, errlen);
	if (!ok) {
		FUZZ_CHECK(memchr(err, 0, errlen), "error message not NUL-terminated");
		FUZZ_CHECK(errlen == 1 || err[0], "empty error message");
	} else {
		FUZZ_CHECK((unsigned)o.log_level <= LOG_TRACE && o.log_level >= LOG_ERROR,
			   "log level %d", o.log_level);
		FUZZ_CHECK((unsigned)o.fault <= FAULT_PANIC, "fault %d", o.fault);
		FUZZ_CHECK(o.smp <= 64 && o.mem_mb >= 16 && o.mem_mb <= 3072, "smp %u mem %u",
			   o.smp, o.mem_mb);
		FUZZ_CHECK(o.personality == PERSONALITY_NONE && (unsigned)o.ioapic <= IOAPIC_V11 &&
			   (unsigned)o.apicv <= APICV_ON, "enums");
		check_string(o.kernel, sizeof(o.kernel), "kernel");
		check_string(o.initrd, sizeof(o.initrd), "initrd");
		check_string(o.append, sizeof(o.append), "append");
		round_trip(&o);
	}
	free(err);
	free(text);
	return 0;
}
