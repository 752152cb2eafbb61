// The public entry of the console feature: the developers section's navigation.
export { ConsoleNav } from './components/console-nav';
