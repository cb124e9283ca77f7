/** The kinds of event on the cache-stampede queue; `arg` is what each names. */
export const E_ARRIVE_HOT = 0; // the next read of the hot key (or a missing id)
export const E_ARRIVE_OTHER = 1; // the next read of one of the other keys
export const E_QUERY_DONE = 2; // arg: query
export const E_TIMEOUT = 3; // arg: request
export const E_POLL = 4; // arg: request
export const E_EXPIRE = 5; // arg: key
export const E_DROP = 6; // arg: key
export const E_LOCK_EXPIRE = 7; // arg: key
export const E_SAMPLE = 8; // arg: sample index
