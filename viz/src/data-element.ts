// The id of the page's embedded JSON (src/report/html.ts writes it; both pages read it).
export const DATA_ELEMENT_ID = 'meshsim-data';
