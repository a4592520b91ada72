/* TI TMP105 temperature sensor on an I2C bus (TI SBOS363). */
#ifndef DRIVERS_TMP105_H
#define DRIVERS_TMP105_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sets 12-bit resolution (0.0625 degC). Returns 0, or -1 when the sensor does not answer. */
int32_t tmp105_init(void);
/* The temperature in millidegrees Celsius into *out; 0, or -1 on a bus error. */
int32_t tmp105_read_mc(int32_t *out);

#ifdef __cplusplus
}
#endif

#endif
