// The run's switch for its optimised paths: the data plane's, so both sides agree.
export { FAST_PATHS } from '../dataplane/fast-paths';
