// The data plane's optimised paths follow the project's one switch.
export { FAST_PATHS } from '../fast-paths';
