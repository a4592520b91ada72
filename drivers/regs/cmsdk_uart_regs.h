/* CMSDK APB UART register map (Arm CMSDK TRM, DDI 0479): offsets and bits, shared by the polled
 * and the interrupt-driven driver. */
#ifndef WASMIO_DRIVERS_CMSDK_UART_REGS_H
#define WASMIO_DRIVERS_CMSDK_UART_REGS_H

#define UART_DATA 0x00
#define UART_STATE 0x04
#define UART_CTRL 0x08
#define UART_INTSTATUS 0x0C /* read: pending; write 1: clear */
#define UART_BAUDDIV 0x10
#define UART_WINDOW_SIZE 0x14

#define STATE_TX_FULL 0x1u
#define STATE_RX_FULL 0x2u
#define CTRL_TX_ENABLE 0x1u
#define CTRL_RX_ENABLE 0x2u
#define CTRL_TX_INT 0x4u
#define CTRL_RX_INT 0x8u
#define INT_TX 0x1u
#define INT_RX 0x2u
#define BAUDDIV_MIN 16u

#endif
