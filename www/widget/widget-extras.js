// What only some conversations need: interactive messages (options, forms, cards,
// articles) and the CSAT survey, with their styles. The widget loads this module the
// first time it shows such a message (a page whose conversations have none never does);
// the classic script has it inside.
export { renderCsat } from "./csat.js";
export { renderInteractive } from "./interactive.js";
export { default as css } from "./widget-extras.css";
