/* format: printf-style formatting into a bounded buffer (no libc in nestor). */
#include "lib/format.h"

#include <stdbool.h>
#include <stdint.h>

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;	/* characters produced so far, including those that did not fit */
};

static void fmt_putc(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void fmt_pad(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		fmt_putc(o, c);
}

struct fmt_spec {
	bool left, zero, plus, space, alt;
	int width;
	int precision;		/* -1: none */
};

static void fmt_string(struct fmt_out *o, const struct fmt_spec *s, const char *str)
{
	if (!str)
		str = "(null)";
	int n = 0;
	/* C11 7.21.6.1: with a precision the array need not hold a NUL; never read past it. */
	while ((s->precision < 0 || n < s->precision) && str[n])
		n++;
	if (!s->left)
		fmt_pad(o, ' ', s->width - n);
	for (int i = 0; i < n; i++)
		fmt_putc(o, str[i]);
	if (s->left)
		fmt_pad(o, ' ', s->width - n);
}

static void fmt_number(struct fmt_out *o, const struct fmt_spec *s, uint64_t v,
		       bool negative, unsigned base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);

	char sign = negative ? '-' : s->plus ? '+' : s->space ? ' ' : 0;
	int plen = prefix ? (int)__builtin_strlen(prefix) : 0;
	int body = n + (sign ? 1 : 0) + plen;

	if (!s->left && !s->zero)
		fmt_pad(o, ' ', s->width - body);
	if (sign)
		fmt_putc(o, sign);
	for (int i = 0; i < plen; i++)
		fmt_putc(o, prefix[i]);
	if (!s->left && s->zero)
		fmt_pad(o, '0', s->width - body);
	while (n)
		fmt_putc(o, tmp[--n]);
	if (s->left)
		fmt_pad(o, ' ', s->width - body);
}

/* Reads a signed argument of the given length (0 int, 1 long, 2 long long). */
static int64_t fmt_arg_signed(va_list *ap, int lenmod)
{
	if (lenmod >= 2)
		return va_arg(*ap, long long);
	if (lenmod == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static uint64_t fmt_arg_unsigned(va_list *ap, int lenmod)
{
	if (lenmod >= 2)
		return va_arg(*ap, unsigned long long);
	if (lenmod == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct fmt_out o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		if (*fmt != '%') {
			fmt_putc(&o, *fmt++);
			continue;
		}
		const char *start = fmt++;
		struct fmt_spec s = { .precision = -1 };

		for (;; fmt++) {
			if (*fmt == '-') s.left = true;
			else if (*fmt == '0') s.zero = true;
			else if (*fmt == '+') s.plus = true;
			else if (*fmt == ' ') s.space = true;
			else if (*fmt == '#') s.alt = true;
			else break;
		}
		if (*fmt == '*') {
			s.width = va_arg(ap, int);
			if (s.width < 0) {
				s.left = true;
				s.width = -s.width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				s.width = s.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			s.precision = 0;
			if (*fmt == '*') {
				s.precision = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					s.precision = s.precision * 10 + (*fmt++ - '0');
			}
		}
		/* lenmod: -2 hh, -1 h, 0 int, 1 long, 2 long long (z, j, t are 64-bit here) */
		int lenmod = 0;
		if (*fmt == 'h') {
			lenmod = -1;
			if (*++fmt == 'h') {
				lenmod = -2;
				fmt++;
			}
		} else if (*fmt == 'l') {
			lenmod = 1;
			if (*++fmt == 'l') {
				lenmod = 2;
				fmt++;
			}
		} else if (*fmt == 'z' || *fmt == 'j' || *fmt == 't') {
			lenmod = 2;
			fmt++;
		}
		if (s.left)
			s.zero = false;

		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = fmt_arg_signed(&ap, lenmod);
			if (lenmod == -1) v = (short)v;
			if (lenmod == -2) v = (signed char)v;
			uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
			fmt_number(&o, &s, mag, v < 0, 10, false, 0);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v = fmt_arg_unsigned(&ap, lenmod);
			if (lenmod == -1) v = (unsigned short)v;
			if (lenmod == -2) v = (unsigned char)v;
			unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			s.plus = s.space = false;
			/* '#': 0x/0X before a non-zero hex value, a leading 0 for octal (as C99). */
			const char *prefix = 0;
			if (s.alt && v && base == 16)
				prefix = *fmt == 'X' ? "0X" : "0x";
			else if (s.alt && v && base == 8)
				prefix = "0";
			fmt_number(&o, &s, v, false, base, *fmt == 'X', prefix);
			break;
		}
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(ap, void *);
			s.plus = s.space = false;
			fmt_number(&o, &s, v, false, 16, false, "0x");
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			if (!s.left)
				fmt_pad(&o, ' ', s.width - 1);
			fmt_putc(&o, c);
			if (s.left)
				fmt_pad(&o, ' ', s.width - 1);
			break;
		}
		case 's':
			fmt_string(&o, &s, va_arg(ap, const char *));
			break;
		case '%':
			fmt_putc(&o, '%');
			break;
		default:
			/* Unknown or truncated conversion: copy it out so the mistake is visible. */
			while (start < fmt)
				fmt_putc(&o, *start++);
			if (!*fmt)
				goto out;
			fmt_putc(&o, *fmt);
			break;
		}
		fmt++;
	}
out:
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
