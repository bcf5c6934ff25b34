// The partnership's roles. A domain fact (closed meetings are for statutory partners), so it sits below
// the contract, which names the roles each operation admits.
export const ROLES = ['manager', 'statutory', 'non_statutory'] as const;
export type Role = (typeof ROLES)[number];
