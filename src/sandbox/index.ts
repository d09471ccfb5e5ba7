export {
  startSandbox,
  Sandbox,
  type SandboxOptions,
  type InsertRow,
  type InsertOptions,
} from './startSandbox';
export { SandboxClock } from './SandboxClock';
export { defaultSettings, type SandboxSettings, type FaultSettings } from './SandboxSettings';
export type { SandboxCredentials } from './OAuthServer';
export type { LoggedRequest, RequestLog } from './RequestLog';
export type { Truth, TruthRange } from './Truth';
export { PROSPECT_CUSTOM_FIELDS } from './CustomFields';
