/**
 * Imported first by main.ts, before anything that defines a zod schema: the
 * page's Content-Security-Policy forbids eval, and zod probes for it (with
 * `new Function`) when the core's schemas are created unless told not to.
 * The probe is caught, but browsers still report it as a CSP violation.
 */
import { config } from 'zod';

config({ jitless: true });
