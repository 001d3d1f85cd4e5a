/**
 * Bank holidays in England and Wales, 2026–2030, with the substitute days that apply when a
 * holiday falls on a weekend: the default `bankHolidays` of a scheme (§18, R-PERF-5). A scheme's
 * own list replaces this one whole.
 */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: ReadonlyArray<string> = [
  // 2026
  "2026-01-01", // New Year's Day
  "2026-04-03", // Good Friday
  "2026-04-06", // Easter Monday
  "2026-05-04", // Early May bank holiday
  "2026-05-25", // Spring bank holiday
  "2026-08-31", // Summer bank holiday
  "2026-12-25", // Christmas Day
  "2026-12-28", // Boxing Day (substitute day)
  // 2027
  "2027-01-01",
  "2027-03-26",
  "2027-03-29",
  "2027-05-03",
  "2027-05-31",
  "2027-08-30",
  "2027-12-27", // Christmas Day (substitute day)
  "2027-12-28", // Boxing Day (substitute day)
  // 2028
  "2028-01-03", // New Year's Day (substitute day)
  "2028-04-14",
  "2028-04-17",
  "2028-05-01",
  "2028-05-29",
  "2028-08-28",
  "2028-12-25",
  "2028-12-26",
  // 2029
  "2029-01-01",
  "2029-03-30",
  "2029-04-02",
  "2029-05-07",
  "2029-05-28",
  "2029-08-27",
  "2029-12-25",
  "2029-12-26",
  // 2030
  "2030-01-01",
  "2030-04-19",
  "2030-04-22",
  "2030-05-06",
  "2030-05-27",
  "2030-08-26",
  "2030-12-25",
  "2030-12-26",
];
