// The optimised paths (remembered decisions, shared hop templates, reused contexts, counted paths,
// batched commits) can be switched off with MESHSIM_NO_FAST_PATHS=1, so tests can check that they
// change no result. Every layer reads this one switch, so both sides of such a check agree.
export const FAST_PATHS = process.env.MESHSIM_NO_FAST_PATHS !== '1';
