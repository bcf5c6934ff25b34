// The maintained list of concerns a case can be about. Codes are stored; labels are shown. A code is never
// renamed or removed once shipped (old cases refer to it); retire one by marking it inactive.
export const CONCERNS = [
  { code: 'noise_nuisance', label: 'Noise nuisance', specialCategory: false, active: true },
  { code: 'youth_offending', label: 'Youth offending', specialCategory: false, active: true },
  { code: 'drugs', label: 'Drugs', specialCategory: false, active: true },
  { code: 'alcohol', label: 'Alcohol misuse', specialCategory: true, active: true },
  { code: 'exploitation_risk', label: 'Exploitation risk', specialCategory: false, active: true },
  { code: 'hate_incident', label: 'Hate incident', specialCategory: true, active: true },
  { code: 'mental_health', label: 'Mental health', specialCategory: true, active: true },
  { code: 'social_care', label: 'Social care needs', specialCategory: true, active: true },
  { code: 'domestic_abuse', label: 'Domestic abuse', specialCategory: false, active: true },
  { code: 'harassment', label: 'Harassment or intimidation', specialCategory: false, active: true },
  { code: 'criminal_damage', label: 'Criminal damage', specialCategory: false, active: true },
  { code: 'hoarding', label: 'Hoarding or property condition', specialCategory: false, active: true },
  { code: 'neighbour_dispute', label: 'Neighbour dispute', specialCategory: false, active: true },
  { code: 'street_drinking', label: 'Street drinking', specialCategory: false, active: true },
  { code: 'begging', label: 'Begging', specialCategory: false, active: true },
  { code: 'vehicle_nuisance', label: 'Vehicle nuisance', specialCategory: false, active: true },
  { code: 'tenancy_breach', label: 'Tenancy breach', specialCategory: false, active: true },
  { code: 'other', label: 'Other', specialCategory: false, active: true },
] as const;

export type ConcernCode = (typeof CONCERNS)[number]['code'];
export const CONCERN_CODES = CONCERNS.map((c) => c.code) as [ConcernCode, ...ConcernCode[]];

export function concernLabel(code: ConcernCode): string {
  return CONCERNS.find((c) => c.code === code)?.label ?? code;
}
