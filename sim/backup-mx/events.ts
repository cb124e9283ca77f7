/** The kinds of event in the run's queue; each carries one number, its `arg`. */
export const E_LEGIT = 0; // a new real message arrives (arg: unused)
export const E_SPAM = 1; // a spam connection (arg: unused)
export const E_ATTEMPT = 2; // a sender's attempt (arg: message)
export const E_FALLBACK = 3; // a sender gives up on the primary and connects to the backup (arg: message)
export const E_HOST_RETRY = 4; // the backup's retry time for the primary host (arg: generation)
export const E_SAMPLE = 5; // the end of a sample: the cache and the outage are read (arg: unused)
export const E_PRIMARY_LATE = 6; // a sender reaches a primary host still up, after the failed ones timed out (arg: message)
