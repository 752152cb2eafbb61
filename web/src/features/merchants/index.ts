// The public entry of the merchants feature: the console's project and key picker, and what
// the dashboard and the settings page show of the merchant.
export { getMerchant, getStats, merchantKeysQuery, updateMerchant } from './api';
export { KeyPicker, RequireKey } from './components/key-picker';
export { NameForm } from './components/name-form';
