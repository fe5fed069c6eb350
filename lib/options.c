/* options: nestor's boot options, from EFI load options and \nestor.cfg. */
#include "lib/options.h"

#include <stdint.h>

#include "lib/format.h"
#include "lib/string.h"

enum option_type { OPT_ENUM, OPT_UINT, OPT_STRING };

struct option_desc {
	const char *name;
	enum option_type type;
	size_t offset;			/* into struct nestor_options */
	size_t size;			/* OPT_STRING: buffer size */
	const char *const *choices;	/* OPT_ENUM: names, index == value, NULL-terminated */
	unsigned min, max;		/* OPT_UINT */
	const char *help;
};

/* Index == enum log_level value; 0 is unused. */
static const char *const log_level_choices[] = { "", "error", "warn", "info", "debug",
						 "trace", NULL };
static const char *const personality_choices[] = { "none", "native", "kvm", "hyperv", NULL };
static const char *const ioapic_choices[] = { "0x20", "0x11", NULL };	/* enum ioapic_model */
static const char *const fault_choices[] = { "none", "pf", "gp", "ud", "divide", "panic",
					     "vmwrite", "invept", NULL };
static const char *const apicv_choices[] = { "off", "on", NULL };
static const char *const nested_paging_choices[] = { "on", "off", NULL };
static const char *const pm_timer_choices[] = { "host", "emulated", NULL };

static const struct option_desc option_table[] = {
	{ "log", OPT_ENUM, offsetof(struct nestor_options, log_level), 0, log_level_choices,
	  0, 0, "log level" },
	{ "fault", OPT_ENUM, offsetof(struct nestor_options, fault), 0, fault_choices, 0, 0,
	  "fault on purpose after boot (tests the crash path)" },
	{ "smp", OPT_UINT, offsetof(struct nestor_options, smp), 0, NULL, 0, 64,
	  "CPUs to use (0: all)" },
	{ "mem", OPT_UINT, offsetof(struct nestor_options, mem_mb), 0, NULL, 16, 3072,
	  "guest RAM in MiB" },
	{ "personality", OPT_ENUM, offsetof(struct nestor_options, personality), 0,
	  personality_choices, 0, 0, "what L1 is offered (docs/personalities.md)" },
	{ "ioapic", OPT_ENUM, offsetof(struct nestor_options, ioapic), 0, ioapic_choices,
	  0, 0, "vIOAPIC version: 0x20 has the EOI register (Directed EOI offered), 0x11 not" },
	{ "apicv", OPT_ENUM, offsetof(struct nestor_options, apicv), 0, apicv_choices, 0, 0,
	  "hardware APIC virtualization (off: TPR shadow / V_TPR only)" },
	{ "ioapic-storm-guard", OPT_UINT, offsetof(struct nestor_options, storm_guard), 0, NULL,
	  0, 1000000, "level re-deliveries at EOI before the vIOAPIC throttles them to one per "
	  "ms (0: never; docs/apic.md)" },
	{ "kernel", OPT_STRING, offsetof(struct nestor_options, kernel), OPTIONS_PATH_MAX,
	  NULL, 0, 0, "payload file on the boot volume" },
	{ "initrd", OPT_STRING, offsetof(struct nestor_options, initrd), OPTIONS_PATH_MAX,
	  NULL, 0, 0, "initrd / first module file" },
	{ "append", OPT_STRING, offsetof(struct nestor_options, append), OPTIONS_STRING_MAX,
	  NULL, 0, 0, "payload command line" },
	{ "nested-paging", OPT_ENUM, offsetof(struct nestor_options, nested_paging), 0,
	  nested_paging_choices, 0, 0,
	  "nested paging for L1's guests (off: L1 uses shadow paging)" },
	{ "pm-timer", OPT_ENUM, offsetof(struct nestor_options, pm_timer), 0, pm_timer_choices,
	  0, 0, "the guest's ACPI PM timer: host (the host's, reads do not exit) or emulated" },
};

#define OPTION_COUNT (sizeof(option_table) / sizeof(option_table[0]))

void options_set_defaults(struct nestor_options *o)
{
	memset(o, 0, sizeof(*o));
	o->log_level = LOG_INFO;
	o->fault = FAULT_NONE;
	o->smp = 0;
	o->mem_mb = 256;
	o->apicv = APICV_OFF;
	o->storm_guard = 1000;	/* VIOAPIC_DEFAULT_STORM_THRESHOLD (lib/ cannot name apic/) */
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool words_equal(const char *a, size_t alen, const char *b)
{
	return strlen(b) == alen && memcmp(a, b, alen) == 0;
}

static bool ends_with_efi(const char *w, size_t len)
{
	static const char suffix[] = ".efi";
	if (len < 4)
		return false;
	for (size_t i = 0; i < 4; i++) {
		char c = w[len - 4 + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != suffix[i])
			return false;
	}
	return true;
}

static void options_known_list(char *buf, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < OPTION_COUNT && n < len; i++)
		n += (size_t)fmt_snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
					  option_table[i].name);
}

static bool option_set_value(struct nestor_options *o, const struct option_desc *d,
			     const char *v, size_t vlen, char *err, size_t errlen)
{
	void *field = (char *)o + d->offset;

	switch (d->type) {
	case OPT_ENUM:
		for (unsigned i = 0; d->choices[i]; i++) {
			if (d->choices[i][0] && words_equal(v, vlen, d->choices[i])) {
				*(int *)field = (int)i;
				return true;
			}
		}
		{
			char list[128];
			size_t n = 0;
			for (unsigned i = 0; d->choices[i]; i++)
				if (d->choices[i][0])
					n += (size_t)fmt_snprintf(list + n, sizeof(list) - n,
								  "%s%s", n ? "|" : "",
								  d->choices[i]);
			fmt_snprintf(err, errlen, "option %s: bad value '%.*s' (expected %s)",
				     d->name, (int)vlen, v, list);
		}
		return false;
	case OPT_UINT: {
		uint64_t n = 0;
		if (vlen == 0 || vlen > 10)
			goto bad_uint;
		for (size_t i = 0; i < vlen; i++) {
			if (v[i] < '0' || v[i] > '9')
				goto bad_uint;
			n = n * 10 + (uint64_t)(v[i] - '0');
		}
		if (n < d->min || n > d->max)
			goto bad_uint;
		*(unsigned *)field = (unsigned)n;
		return true;
bad_uint:
		fmt_snprintf(err, errlen, "option %s: bad value '%.*s' (expected a number %u..%u)",
			     d->name, (int)vlen, v, d->min, d->max);
		return false;
	}
	case OPT_STRING:
		if (vlen >= d->size) {
			fmt_snprintf(err, errlen, "option %s: value too long (%zu bytes, max %zu)",
				     d->name, vlen, d->size - 1);
			return false;
		}
		memcpy(field, v, vlen);
		((char *)field)[vlen] = 0;
		return true;
	}
	return false;
}

bool options_parse(struct nestor_options *o, const char *text, size_t len, char *err,
		   size_t errlen)
{
	size_t i = 0;
	bool first = true;

	while (i < len) {
		if (is_space(text[i]) || text[i] == 0) {
			i++;
			continue;
		}
		if (text[i] == '#') {
			while (i < len && text[i] != '\n')
				i++;
			continue;
		}
		/* key */
		size_t k = i;
		while (i < len && text[i] && !is_space(text[i]) && text[i] != '=')
			i++;
		size_t klen = i - k;
		if (i >= len || text[i] != '=') {
			if (first && ends_with_efi(text + k, klen)) {
				first = false;
				continue;
			}
			fmt_snprintf(err, errlen, "'%.*s' is not key=value", (int)klen, text + k);
			return false;
		}
		first = false;
		i++;	/* '=' */
		/* value, maybe quoted */
		const char *v = text + i;
		size_t vlen;
		if (i < len && text[i] == '"') {
			v = text + ++i;
			while (i < len && text[i] != '"' && text[i] != '\n' && text[i])
				i++;
			if (i >= len || text[i] != '"') {
				fmt_snprintf(err, errlen, "option %.*s: unterminated quote",
					     (int)klen, text + k);
				return false;
			}
			vlen = (size_t)(text + i - v);
			i++;
		} else {
			while (i < len && text[i] && !is_space(text[i]))
				i++;
			vlen = (size_t)(text + i - v);
		}

		const struct option_desc *d = NULL;
		for (size_t j = 0; j < OPTION_COUNT; j++)
			if (words_equal(text + k, klen, option_table[j].name))
				d = &option_table[j];
		if (!d) {
			char known[160];
			options_known_list(known, sizeof(known));
			fmt_snprintf(err, errlen, "unknown option '%.*s' (known: %s)", (int)klen,
				     text + k, known);
			return false;
		}
		if (!option_set_value(o, d, v, vlen, err, errlen))
			return false;
	}
	return true;
}

void options_log(const struct nestor_options *o)
{
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		const struct option_desc *d = &option_table[i];
		const void *field = (const char *)o + d->offset;
		switch (d->type) {
		case OPT_ENUM:
			log_info("option %-11s = %s", d->name, d->choices[*(const int *)field]);
			break;
		case OPT_UINT:
			log_info("option %-11s = %u", d->name, *(const unsigned *)field);
			break;
		case OPT_STRING:
			log_info("option %-11s = \"%s\"", d->name, (const char *)field);
			break;
		}
	}
}
