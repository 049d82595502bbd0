/**
 * Naming rules of the TypeScript SDK: a tag becomes a resource property and an operationId
 * becomes a method on it.
 */

/** Splits a tag such as "Pre-registrations" or "Webhook endpoints" into its words. */
function words(tag: string): string[] {
  return tag.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** Returns the resource property for a tag: "Webhook endpoints" → "webhookEndpoints". */
export function resourceName(tag: string): string {
  const pascal = words(tag).map(capitalize).join('');
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/**
 * Returns the tag's noun as it appears inside operationIds, plural first, then singular:
 * "Pre-registrations" → ["PreRegistrations", "PreRegistration"], "Kiosk" → ["Kiosk"].
 */
export function nounForms(tag: string): string[] {
  const plural = words(tag).map(capitalize).join('');
  const singular = plural.replace(/ies$/, 'y').replace(/s$/, '');
  return plural === singular ? [plural] : [plural, singular];
}

/**
 * Removes the first whole-word occurrence of the tag's noun from an operationId and
 * lower-camel-cases the rest: createKioskPairingCode with "Kiosks" → createPairingCode.
 * Returns the operationId unchanged when it does not contain the noun.
 */
export function methodName(operationId: string, tag: string): string {
  for (const noun of nounForms(tag)) {
    // The noun must start a word (an upper-case letter in camelCase) and end one.
    const match = new RegExp(`${noun}(?=[A-Z0-9]|$)`).exec(operationId);
    if (!match) continue;
    const rest = operationId.slice(0, match.index) + operationId.slice(match.index + noun.length);
    return rest.charAt(0).toLowerCase() + rest.slice(1);
  }
  return operationId;
}
