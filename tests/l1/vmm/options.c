/* options: l1vmm's command line (docs/l1.md lists every option). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm.h"

void vmm_options_usage(void)
{
	fputs("usage: l1vmm --scenario NAME [--irqchip kernel|split] [--ioapic 0x11|0x20]\n"
	      "             [--vcpus N] [--timeout S] [--stall S] [--livelock-rate R] [--mem MIB]\n"
	      "             [--x2apic on|off]\n"
	      "             [--payload-dir DIR] [--append WORDS] [--verbose]\n"
	      "       l1vmm --list\n", stderr);
}

static bool number(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v < lo || v > hi)
		return false;
	*out = (unsigned)v;
	return true;
}

static bool option(struct vmm_options *o, const char *name, const char *value)
{
	if (!strcmp(name, "scenario"))
		o->scenario = value;
	else if (!strcmp(name, "irqchip") && !strcmp(value, "kernel"))
		o->irqchip = IRQCHIP_KERNEL;
	else if (!strcmp(name, "irqchip") && !strcmp(value, "split"))
		o->irqchip = IRQCHIP_SPLIT;
	else if (!strcmp(name, "ioapic"))
		return number(value, 0x11, 0x20, &o->ioapic_version) &&
		       (o->ioapic_version == 0x11 || o->ioapic_version == 0x20);
	else if (!strcmp(name, "vcpus"))
		return number(value, 1, VMM_MAX_VCPUS, &o->vcpus);
	else if (!strcmp(name, "timeout"))
		return number(value, 1, 86400, &o->timeout_s);
	else if (!strcmp(name, "stall"))
		return number(value, 1, 86400, &o->stall_s);
	else if (!strcmp(name, "livelock-rate"))
		return number(value, 1, 1000000, &o->livelock_rate);
	else if (!strcmp(name, "mem"))
		return number(value, 16, 3072, &o->mem_mb);
	else if (!strcmp(name, "x2apic") && (!strcmp(value, "on") || !strcmp(value, "off")))
		o->x2apic = !strcmp(value, "on");
	else if (!strcmp(name, "payload-dir"))
		o->payload_dir = value;
	else if (!strcmp(name, "append"))
		o->append = value;
	else
		return false;
	return true;
}

bool vmm_options_parse(struct vmm_options *o, int argc, char **argv, bool *list)
{
	*o = (struct vmm_options){
		.irqchip = IRQCHIP_KERNEL, .ioapic_version = 0x20, .vcpus = 1, .timeout_s = 120,
		.stall_s = 15, .livelock_rate = 50, .payload_dir = "/payloads", .append = "",
		.x2apic = true,
	};
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (!strcmp(arg, "--list")) {
			*list = true;
			continue;
		}
		if (!strcmp(arg, "--verbose")) {
			o->verbose = true;
			continue;
		}
		if (strncmp(arg, "--", 2) || i + 1 >= argc || !option(o, arg + 2, argv[i + 1])) {
			fprintf(stderr, "l1vmm: bad option %s%s%s\n", arg, i + 1 < argc ? " " : "",
				i + 1 < argc ? argv[i + 1] : "");
			return false;
		}
		i++;
	}
	return *list || o->scenario;
}
