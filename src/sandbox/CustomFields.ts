/**
 * Prospect custom fields the generated account defines. They appear in prospect rows as extra
 * keys named by the field's API id. A multi-value field is rendered in XML as nested `<value>`
 * children and in JSON as an array of strings (always an array, even with one or no value).
 */
export interface CustomFieldDef {
  name: string;
  type: 'str' | 'list';
}

export const PROSPECT_CUSTOM_FIELDS: readonly CustomFieldDef[] = [
  { name: 'Favorite_Color', type: 'str' },
  { name: 'Preferred_Language', type: 'str' },
  { name: 'Interests', type: 'list' },
];

export const CUSTOM_FIELD_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  Favorite_Color: ['Red', 'Green', 'Blue, light', 'Ochre "deep"'],
  Preferred_Language: ['English', 'Français', '日本語', 'Español'],
  Interests: ['Analytics', 'Email', 'Forms & Pages', 'AI, ML', 'Events'],
};
