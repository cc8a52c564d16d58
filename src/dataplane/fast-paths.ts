// The optimised paths (shared hop templates, reused contexts, counted paths, batched commits) can
// be switched off with MESHSIM_NO_FAST_PATHS=1, so tests can check that they change no result.
export const FAST_PATHS = process.env.MESHSIM_NO_FAST_PATHS !== '1';
