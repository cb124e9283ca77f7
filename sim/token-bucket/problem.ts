/**
 * The body of a 429: RFC 9457 problem details (§3.1: `type`, `title`,
 * `status`; §3.2: extension members), served as `application/problem+json`
 * (§6.1), of the problem type draft-ietf-httpapi-ratelimit-headers-11 §5.1
 * defines for a request over its quota. Its title is the one §10.2.1
 * registers, and its extension member `violated-policies` names the policies
 * whose quota the request exceeded: here the one bucket's policy.
 */
export const PROBLEM_JSON = 'application/problem+json';
export const QUOTA_EXCEEDED = 'https://iana.org/assignments/http-problem-types#quota-exceeded';

export interface QuotaExceededProblem {
  type: typeof QUOTA_EXCEEDED;
  title: 'Quota Exceeded';
  /** RFC 9457 §3.1.2: advisory, the same as the response's status code. */
  status: 429;
  'violated-policies': string[];
}

export function quotaExceeded(violatedPolicies: readonly string[]): QuotaExceededProblem {
  return { type: QUOTA_EXCEEDED, title: 'Quota Exceeded', status: 429, 'violated-policies': [...violatedPolicies] };
}

/** The body as sent: compact JSON, one line. */
export function problemBody(problem: QuotaExceededProblem): string {
  return JSON.stringify(problem);
}
