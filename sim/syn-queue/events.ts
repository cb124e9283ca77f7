/** The kinds of event on a run's queue; each carries an attempt's index (0 for arrivals, accept() and samples). */

/** An arrival of class index c is kind E_ARRIVE + c. */
export const E_ARRIVE = 0;
export const E_SYN_AT_SERVER = 3;
export const E_SYNACK_AT_CLIENT = 4;
export const E_ACK_AT_SERVER = 5;
export const E_RST_AT_CLIENT = 6;
export const E_SERVER_TIMER = 7;
export const E_CLIENT_TIMER = 8;
export const E_APP_ACCEPT = 9;
export const E_SAMPLE = 10;
