/**
 * UTC calendar fields from seconds since 1970, without the engine's Date (which sim/ never uses):
 * Hinnant's civil_from_days, exact for the proleptic Gregorian calendar.
 */

export interface UtcFields {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0 is Sunday. */
  weekday: number;
  h: number;
  m: number;
  s: number;
}

export function utcFields(epochSec: number): UtcFields {
  const days = Math.floor(epochSec / 86400);
  const secOfDay = epochSec - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return {
    year: yoe + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day,
    // 1970-01-01 was a Thursday.
    weekday: (((days + 4) % 7) + 7) % 7,
    h: Math.floor(secOfDay / 3600),
    m: Math.floor(secOfDay / 60) % 60,
    s: secOfDay % 60,
  };
}

/** Two digits, as clocks and timestamps print them. */
export const pad2 = (n: number): string => String(n).padStart(2, '0');
