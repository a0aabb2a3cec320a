// SPDX-License-Identifier: MIT
/*
 * rdtsc: a static Linux program of no library that prints "tsc N", the time stamp counter when
 * it ran. Under QEMU's -icount shift=0 that is the instructions executed since power-on, which
 * make bench compares between Linux in a Vireo VM and on plain QEMU (tests/bench/linux_boot.py).
 */

static long sys_call3(long number, long a, long b, long c)
{
	long result;

	__asm__ volatile("syscall" : "=a"(result) : "a"(number), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return result;
}

void _start(void);

/* The entry point: no C library runs before it. */
void _start(void)
{
	char text[32], *p = text + sizeof(text);
	unsigned int low, high;
	unsigned long tsc;

	__asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
	tsc = (unsigned long)high << 32 | low;
	*--p = '\n';
	do
		*--p = (char)('0' + tsc % 10);
	while (tsc /= 10);
	p -= 4;
	p[0] = 't', p[1] = 's', p[2] = 'c', p[3] = ' ';
	sys_call3(1, 1, (long)p, text + sizeof(text) - p);	/* write(1, ...) */
	sys_call3(60, 0, 0, 0);					/* exit(0) */
	for (;;)
		;
}
