// /developers/events: the page lives in its feature; this file is the route's lazy chunk.
export { EventsPage } from '../../features/developers/events-page';
