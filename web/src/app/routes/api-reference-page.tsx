// /developers/api: the page lives in its feature; this file is the route's lazy chunk.
export { ApiReferencePage } from '../../features/developers/api-reference-page';
