/* Arm SBCon two-wire interface (MPS2 "I2C"): a bit-banged I2C master. */
#ifndef DRIVERS_SBCON_I2C_H
#define DRIVERS_SBCON_I2C_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Releases both lines (bus idle). */
void i2c_init(void);
/* Writes `count` bytes to the 7-bit address, then (when `read_count` > 0) a repeated START and
 * reads `read_count` bytes. Returns 0, or -1 when a byte was not acknowledged. */
int32_t i2c_transfer(uint32_t address, const uint8_t *write, uint32_t count, uint8_t *read,
                     uint32_t read_count);

#ifdef __cplusplus
}
#endif

#endif
