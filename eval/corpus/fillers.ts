/**
 * Word pools and unlabelled filler. Filler is realistic noise — vitals, doses, amounts, ticket
 * numbers — that a detector must leave alone; it never holds a name, place or identifier of a
 * person (those go through labelled slots).
 */
import type { Rng } from './rng.js';
import type { DocContext } from './values/context.js';

export const FIRST_NAMES = [
  'Maria', 'James', 'Aisha', 'Wei', 'Olivia', 'Mohammed', 'Sofia', 'Liam', 'Priya', 'Noah',
  'Fatima', 'Ethan', 'Mei', 'Lucas', 'Amara', 'Diego', 'Hannah', 'Kwame', 'Ingrid', 'Mateo',
  'Yuki', 'Grace', 'Oluwaseun', 'Chloe', 'Rajesh', 'Elena', 'Samuel', 'Zainab', 'Connor', 'Leila',
  'Tomasz', 'Beatriz', 'Darnell', 'Nadia', 'Henrik', 'Camila', 'Jamal', 'Anika', 'Patrick', 'Rosa',
  'Dmitri', 'Keisha', 'Arjun', 'Margaret', 'Kenji', 'Lucia', 'Thomas', 'Imani', 'Elijah', 'Sanaa',
] as const;

export const LAST_NAMES = [
  'Lopez', 'Okafor', 'Nguyen', 'Schmidt', 'Patel', 'Johnson', 'Kowalski', 'Garcia', 'Chen', 'Williams',
  'Haddad', 'Murphy', "O'Brien", 'Rossi', 'Kim', 'Andersson', 'Mensah', 'Dubois', 'Yamamoto', 'Hernandez',
  'Fischer', 'Ivanova', 'Brown', 'Singh', 'Mbeki', 'Castillo', 'Novak', 'Walsh', 'Takahashi', 'Romero',
  'Abernathy', 'Delacroix', 'Petrov', 'Nakamura', 'Goldberg', 'Adeyemi', 'Lindqvist', 'Moreau', 'Reyes', 'Fitzgerald',
  'Kaur', 'Bianchi', 'Oyelaran', 'Svensson', 'Carter', 'Zhang', 'Baptiste', 'Horvath', 'Ramirez', 'Whitfield',
] as const;

/** [display name, mail/web domain] — invented, free of person and place names. */
export const ORGANIZATIONS: ReadonlyArray<readonly [string, string]> = [
  ['Bluepeak Health', 'bluepeakhealth.org'], ['Northwind Clinics', 'northwind-clinics.com'],
  ['Summit Ridge Medical Group', 'summitridgemg.com'], ['Cedarline Pediatrics', 'cedarlinepeds.org'],
  ['Acme Payroll Services', 'acmepayroll.com'], ['Brightwater Insurance', 'brightwater-ins.com'],
  ['Lumen Diagnostics', 'lumendx.io'], ['Orchard Family Practice', 'orchardfp.net'],
  ['Keystone Billing Partners', 'keystonebilling.com'], ['Helix Telehealth', 'helixtele.health'],
  ['Tessellate Software', 'tessellate.dev'], ['Greenfield Pharmacy', 'greenfieldrx.com'],
];

export const STREETS = [
  'Oak', 'Maple', 'Cedar', 'Pine', 'Elm', 'Washington', 'Lake', 'Hillcrest', 'Sunset', 'Park',
  'Franklin', 'Highland', 'Willow', 'Meadow', 'Jefferson', 'Ridge', 'Chestnut', 'Lincoln', 'Spring', 'Walnut',
] as const;
export const STREET_TYPES = ['St', 'Street', 'Ave', 'Avenue', 'Rd', 'Road', 'Blvd', 'Dr', 'Drive', 'Ln', 'Ct', 'Way'] as const;
/** [city, state, ZIP prefix] */
export const CITIES: ReadonlyArray<readonly [string, string, string]> = [
  ['Springfield', 'IL', '627'], ['Columbus', 'OH', '432'], ['Austin', 'TX', '787'], ['Portland', 'OR', '972'],
  ['Denver', 'CO', '802'], ['Madison', 'WI', '537'], ['Raleigh', 'NC', '276'], ['Tucson', 'AZ', '857'],
  ['Albany', 'NY', '122'], ['Boise', 'ID', '837'], ['Sacramento', 'CA', '958'], ['Nashville', 'TN', '372'],
  ['Omaha', 'NE', '681'], ['Richmond', 'VA', '232'], ['Spokane', 'WA', '992'], ['Savannah', 'GA', '314'],
  ['Burlington', 'VT', '054'], ['Tampa', 'FL', '336'], ['Ann Arbor', 'MI', '481'], ['Worcester', 'MA', '016'],
];

const CONDITIONS = [
  'type 2 diabetes mellitus', 'essential hypertension', 'community-acquired pneumonia', 'COPD exacerbation',
  'atrial fibrillation', 'acute kidney injury', 'major depressive disorder', 'asthma', 'cellulitis of the left leg',
  'congestive heart failure', 'hypothyroidism', 'chronic low back pain', 'migraine without aura', 'iron deficiency anemia',
  'urinary tract infection', 'GERD', 'osteoarthritis of the right knee', 'generalized anxiety disorder',
];
const MEDS = [
  'metformin 500 mg PO BID', 'lisinopril 10 mg daily', 'atorvastatin 40 mg at bedtime', 'apixaban 5 mg BID',
  'levothyroxine 75 mcg daily', 'sertraline 50 mg daily', 'albuterol 90 mcg 2 puffs q4h PRN', 'furosemide 20 mg daily',
  'amoxicillin-clavulanate 875 mg BID x 7 days', 'omeprazole 20 mg daily', 'gabapentin 300 mg TID', 'insulin glargine 18 units at bedtime',
  'ferrous sulfate 325 mg daily', 'cephalexin 500 mg QID', 'prednisone 40 mg daily x 5 days', 'acetaminophen 650 mg q6h PRN',
];
const SYMPTOMS = [
  'shortness of breath', 'chest tightness', 'intermittent palpitations', 'a productive cough', 'fatigue', 'dizziness on standing',
  'lower extremity swelling', 'burning on urination', 'epigastric pain', 'headache and photophobia', 'fever and chills', 'knee pain',
];
const PROCEDURES = [
  'chest X-ray', 'CT abdomen/pelvis with contrast', 'transthoracic echocardiogram', 'EKG', 'renal ultrasound',
  'MRI of the lumbar spine', 'colonoscopy', 'CBC and BMP', 'urinalysis with culture', 'lipid panel',
];
const DEPARTMENTS = ['cardiology', 'billing', 'pulmonology', 'payroll', 'claims', 'radiology', 'benefits', 'pharmacy', 'accounts receivable', 'IT'];
const PRODUCTS = ['Premium plan', 'Family Plus plan', 'annual subscription', 'wireless router', 'standing desk', 'glucose monitor', 'CPAP machine', 'telehealth bundle'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

const money = (rng: Rng, max: number) => {
  const cents = rng.int(100, max * 100);
  const whole = Math.floor(cents / 100).toLocaleString('en-US');
  return `$${whole}.${String(cents % 100).padStart(2, '0')}`;
};

export type Filler = (rng: Rng, ctx: DocContext, arg: string | undefined) => string;

/** Filler by name, for `{$name}` slots. Results are templates (they may hold don't-care dates). */
export const FILLERS: Record<string, Filler> = {
  age: (rng) => String(rng.int(19, 88)),
  condition: (rng) => rng.pick(CONDITIONS),
  med: (rng) => rng.pick(MEDS),
  symptom: (rng) => rng.pick(SYMPTOMS),
  procedure: (rng) => rng.pick(PROCEDURES),
  dept: (rng) => rng.pick(DEPARTMENTS),
  product: (rng) => rng.pick(PRODUCTS),
  weekday: (rng) => rng.pick(WEEKDAYS),
  org: (_rng, ctx) => ctx.org,
  amount: (rng, _ctx, arg) => money(rng, arg === 'big' ? 25000 : 900),
  vitals: (rng) =>
    rng.pick([
      `BP ${rng.int(102, 168)}/${rng.int(58, 98)}, HR ${rng.int(54, 118)}, T ${rng.int(97, 101)}.${rng.int(0, 9)} F, SpO2 ${rng.int(88, 100)}% on RA`,
      `T ${rng.int(36, 38)}.${rng.int(0, 9)} C, P ${rng.int(54, 118)}, R ${rng.int(12, 24)}, BP ${rng.int(102, 168)}/${rng.int(58, 98)}`,
      `vitals stable (BP ${rng.int(102, 168)}/${rng.int(58, 98)}, pulse ${rng.int(54, 118)})`,
    ]),
  labs: (rng) =>
    rng.pick([
      `Na ${rng.int(131, 146)}, K ${rng.int(3, 5)}.${rng.int(0, 9)}, Cr ${rng.int(0, 2)}.${rng.int(10, 99)}, glucose ${rng.int(70, 310)}`,
      `WBC ${rng.int(3, 18)}.${rng.int(0, 9)}, Hgb ${rng.int(8, 16)}.${rng.int(0, 9)}, Plt ${rng.int(110, 420)}`,
      `HbA1c ${rng.int(5, 11)}.${rng.int(0, 9)}%, LDL ${rng.int(60, 190)} mg/dL`,
      `troponin <0.01 ng/mL x2, BNP ${rng.int(20, 1400)} pg/mL`,
    ]),
  room: (rng) => rng.pick([`Room ${rng.int(101, 925)}`, `Rm ${rng.int(2, 9)}${rng.int(10, 40)}${rng.pick(['A', 'B', ''])}`, `bed ${rng.int(1, 36)}`, `Bay ${rng.int(1, 14)}`]),
  invoice: (rng) => rng.pick([`INV-${rng.int(2021, 2025)}-${rng.digits(5)}`, `#${rng.int(10000, 99999)}`, `INV${rng.digits(6)}`]),
  claim: (rng) => rng.pick([`CLM-${rng.digits(3)}-${rng.digits(5)}`, `${rng.int(2021, 2025)}${rng.digits(4)}`, `${rng.int(21, 25)}-${rng.digits(6)}`]),
  ticket: (rng) => rng.pick([`#${rng.int(10000, 999999)}`, `CS-${rng.int(1000, 99999)}`, `SR-${rng.digits(6)}`]),
  qty: (rng) => String(rng.int(1, 12)),
  bic: (rng) => rng.pick(['DEUTDEFF', 'COBADEFFXXX', 'BNPAFRPP', 'NWBKGB2L', 'INGBNL2A', 'CAIXESBB', 'UBSWCHZH80A']),
  days: (rng) => String(rng.int(2, 30)),
  pct: (rng) => `${rng.int(1, 99)}%`,
  // Dates that are not birth dates: labelled don't-care, since whether a detector reports every
  // date or only birth dates is a policy choice, not an error.
  date: () => '{?DATE_TIME:recent}',
  time: () => '{?DATE_TIME:time}',
};
