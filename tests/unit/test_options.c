/* test_options: the boot option parser: values, quoting, comments and every error path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/options.h"
#include "tests/unit/capture.h"

static struct nestor_options o;
static char err[256];

static bool parse(const char *text)
{
	err[0] = 0;
	return options_parse(&o, text, strlen(text), err, sizeof(err));
}

static int setup(void **state)
{
	(void)state;
	options_set_defaults(&o);
	return 0;
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(o.log_level, LOG_INFO);
	assert_int_equal(o.fault, FAULT_NONE);
	assert_int_equal(o.smp, 0);
	assert_int_equal(o.mem_mb, 256);
	assert_int_equal(o.apicv, APICV_OFF);
	assert_int_equal(o.personality, PERSONALITY_NONE);
	assert_string_equal(o.kernel, "");
}

static void test_personality(void **state)
{
	(void)state;
	assert_true(parse("personality=kvm"));
	assert_int_equal(o.personality, PERSONALITY_KVM);
	assert_true(parse("personality=native"));
	assert_int_equal(o.personality, PERSONALITY_NATIVE);
	assert_true(parse("personality=hyperv"));
	assert_int_equal(o.personality, PERSONALITY_HYPERV);
	assert_true(parse("personality=none"));
	assert_int_equal(o.personality, PERSONALITY_NONE);
}

static void test_apicv(void **state)
{
	(void)state;
	assert_true(parse("apicv=on"));
	assert_int_equal(o.apicv, APICV_ON);
	assert_true(parse("apicv=off"));
	assert_int_equal(o.apicv, APICV_OFF);
	assert_false(parse("apicv=yes"));
	assert_non_null(strstr(err, "option apicv: bad value 'yes' (expected off|on)"));
	assert_int_equal(o.apicv, APICV_OFF);
}

/* The vIOAPIC storm guard: on by default at 1000 re-deliveries, 0 turns it off. */
static void test_storm_guard(void **state)
{
	(void)state;
	assert_true(parse(""));
	assert_int_equal(o.storm_guard, 1000);
	assert_true(parse("ioapic-storm-guard=0"));
	assert_int_equal(o.storm_guard, 0);
	assert_true(parse("ioapic-storm-guard=50"));
	assert_int_equal(o.storm_guard, 50);
	assert_false(parse("ioapic-storm-guard=off"));
}

static void test_values(void **state)
{
	(void)state;
	assert_true(parse("log=debug smp=2 mem=512 kernel=\\vmlinux fault=pf"));
	assert_int_equal(o.log_level, LOG_DEBUG);
	assert_int_equal(o.smp, 2);
	assert_int_equal(o.mem_mb, 512);
	assert_string_equal(o.kernel, "\\vmlinux");
	assert_int_equal(o.fault, FAULT_PAGE);
	assert_int_equal(o.ioapic, IOAPIC_V20);
	assert_true(parse("ioapic=0x11"));
	assert_int_equal(o.ioapic, IOAPIC_V11);
	assert_false(parse("ioapic=0x12"));
	assert_true(parse("log=trace fault=panic"));
	assert_int_equal(o.log_level, LOG_TRACE);
	assert_int_equal(o.fault, FAULT_PANIC);
}

static void test_quotes_comments_whitespace(void **state)
{
	(void)state;
	assert_true(parse("# nestor.cfg\n  append=\"console=ttyS0 quiet\"\t# trailing\r\n"
			  "smp=1\n\n"));
	assert_string_equal(o.append, "console=ttyS0 quiet");
	assert_int_equal(o.smp, 1);
	assert_true(parse("append=\"\""));
	assert_string_equal(o.append, "");
	assert_true(parse(""));
	assert_true(parse("   \n# only a comment"));
}

static void test_image_name_skipped_only_first(void **state)
{
	(void)state;
	assert_true(parse("\\EFI\\BOOT\\NESTOR.EFI log=warn"));
	assert_int_equal(o.log_level, LOG_WARN);
	assert_false(parse("log=warn nestor.efi"));
	assert_string_equal(err, "'nestor.efi' is not key=value");
}

static void test_errors(void **state)
{
	(void)state;
	assert_false(parse("bogus=1"));
	assert_string_equal(err, "unknown option 'bogus' (known: log, fault, smp, mem, personality, "
				 "ioapic, apicv, ioapic-storm-guard, kernel, initrd, append, "
				 "nested-paging, pm-timer)");
	assert_false(parse("log=loud"));
	assert_string_equal(err, "option log: bad value 'loud' (expected "
				 "error|warn|info|debug|trace)");
	assert_false(parse("smp=65"));
	assert_string_equal(err, "option smp: bad value '65' (expected a number 0..64)");
	assert_false(parse("smp=2x"));
	assert_false(parse("smp="));
	assert_false(parse("mem=99999999999"));
	assert_false(parse("mem=8"));
	assert_false(parse("append=\"never closed"));
	assert_string_equal(err, "option append: unterminated quote");
	assert_false(parse("personality=xen"));
	assert_string_equal(err, "option personality: bad value 'xen' (expected "
				 "none|native|kvm|hyperv)");
	assert_true(parse("personality=kvm nested-paging=off"));
	assert_int_equal(o.personality, PERSONALITY_KVM);
	assert_int_equal(o.nested_paging, NESTED_PAGING_OFF);
	assert_int_equal(o.pm_timer, PM_TIMER_HOST);
	assert_true(parse("pm-timer=emulated"));
	assert_int_equal(o.pm_timer, PM_TIMER_EMULATED);
	assert_false(parse("pm-timer=hpet"));
	assert_string_equal(err, "option pm-timer: bad value 'hpet' (expected host|emulated)");
	assert_false(parse("log"));
	assert_string_equal(err, "'log' is not key=value");
	/* the first bad word stops parsing; earlier words already applied */
	assert_false(parse("smp=3 what=ever smp=4"));
	assert_int_equal(o.smp, 3);
}

static void test_too_long_string(void **state)
{
	(void)state;
	char text[OPTIONS_PATH_MAX + 32];
	strcpy(text, "kernel=");
	memset(text + 7, 'a', OPTIONS_PATH_MAX);
	text[7 + OPTIONS_PATH_MAX] = 0;
	assert_false(parse(text));
	assert_non_null(strstr(err, "value too long"));
	text[7 + OPTIONS_PATH_MAX - 1] = 0;
	assert_true(parse(text));
	assert_int_equal(strlen(o.kernel), OPTIONS_PATH_MAX - 1);
}

static void test_log_lists_every_option(void **state)
{
	(void)state;
	capture_reset();
	assert_true(parse("append=\"a b\" smp=2"));
	options_log(&o);
	assert_true(capture_contains("[nestor] option smp         = 2\n"));
	assert_true(capture_contains("[nestor] option append      = \"a b\"\n"));
	assert_true(capture_contains("[nestor] option log         = info\n"));
	assert_true(capture_contains("[nestor] option apicv       = off\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults, setup),
		cmocka_unit_test_setup(test_values, setup),
		cmocka_unit_test_setup(test_apicv, setup),
		cmocka_unit_test_setup(test_personality, setup),
		cmocka_unit_test_setup(test_storm_guard, setup),
		cmocka_unit_test_setup(test_personality, setup),
		cmocka_unit_test_setup(test_quotes_comments_whitespace, setup),
		cmocka_unit_test_setup(test_image_name_skipped_only_first, setup),
		cmocka_unit_test_setup(test_errors, setup),
		cmocka_unit_test_setup(test_too_long_string, setup),
		cmocka_unit_test_setup(test_log_lists_every_option, setup),
	};
	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
