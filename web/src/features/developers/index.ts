// The public entry of the developers feature: the test clock card of the developers page.
export { TestClockCard } from './components/test-clock-card';
