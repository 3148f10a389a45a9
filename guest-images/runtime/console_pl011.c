/* Console on the PL011 UART of QEMU virt (0x09000000): poll FR.TXFF, write DR. */
#include "runtime.h"

#define UART_BASE 0x09000000UL
#define UART_DR (*(volatile u32 *)(UART_BASE + 0x00))
#define UART_FR (*(volatile u32 *)(UART_BASE + 0x18))
#define FR_TXFF (1u << 5)

void console_putc(char c)
{
    while (UART_FR & FR_TXFF)
        ;
    UART_DR = (u8)c;
}

void console_flush(void)
{
}
