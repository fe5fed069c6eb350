/* map_x87: which register forms (mod = 3) of the x87 escapes D8-DF are defined. */
#include "arch/x86/decode/decode_internal.h"

/*
 * SDM Vol. 2, Tables. Every memory form is defined. Among register forms,
 * the undocumented aliases that CPUs execute (FSTP1 D9 D8+i, FCOM2 DC D0+i, FXCH4 DD C8+i,
 * FCOMP5 DE D0+i, FFREEP/FXCH7/FSTP8/FSTP9 in DF, FENI/FDISI/FSETPM in DB) count as
 * defined; the holes below raise #UD. The length is the same either way.
 */
bool opcode_x87_reg_form_defined(uint8_t opcode, uint8_t modrm)
{
	unsigned reg = (modrm >> 3) & 7;
	unsigned rm = modrm & 7;

	switch (opcode) {
	case 0xd9:
		if (reg == 2)
			return rm == 0; /* FNOP */
		if (reg == 4)
			return rm == 0 || rm == 1 || rm == 4 || rm == 5; /* FCHS FABS FTST FXAM */
		if (reg == 5)
			return rm != 7; /* FLD1 ... FLDZ */
		return true;
	case 0xda:
		if (reg == 5)
			return rm == 1; /* FUCOMPP */
		return reg <= 3;        /* FCMOVcc */
	case 0xdb:
		if (reg == 4)
			return rm <= 4; /* FENI FDISI FNCLEX FNINIT FSETPM */
		return reg != 7;
	case 0xdd:
		return reg <= 5;
	case 0xde:
		if (reg == 3)
			return rm == 1; /* FCOMPP */
		return true;
	case 0xdf:
		if (reg == 4)
			return rm == 0; /* FNSTSW AX */
		return reg != 7;
	default: /* D8, DC */
		return true;
	}
}
