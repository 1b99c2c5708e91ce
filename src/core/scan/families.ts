/** Display names of threat families (the spec's list plus our additions). */
export const FAMILY_NAMES: Record<string, string> = {
  PI: 'Prompt Injection',
  JB: 'Jailbreak',
  DE: 'Data Exfiltration',
  RP: 'Role Play manipulation',
  CS: 'Context Switching',
  SE: 'Social Engineering',
  TA: 'Token Abuse',
  CI: 'Code Injection',
  PII: 'Personal Data',
  SEC: 'Secrets and Credentials',
  ENC: 'Encoding and Obfuscation',
  TOOL: 'Tool Poisoning',
  HC: 'Harmful Content',
  TP: 'Indirect Injection in Tool Output',
};

export function familyName(f: string): string {
  return FAMILY_NAMES[f] ?? f;
}
