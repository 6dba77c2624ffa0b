// Files dropped on the panel go to the composer; an overlay says so while dragging.
export function enableDrop(panel, overlay, accepts, onFiles) {
  let depth = 0; // dragenter/leave fire for every child crossed
  const ok = (event) => accepts() && event.dataTransfer?.types.includes("Files");
  panel.addEventListener("dragenter", (event) => {
    if (!ok(event)) return;
    event.preventDefault();
    depth++;
    overlay.hidden = false;
  });
  panel.addEventListener("dragover", (event) => ok(event) && event.preventDefault());
  panel.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  panel.addEventListener("drop", (event) => {
    depth = 0;
    overlay.hidden = true;
    if (!ok(event)) return;
    event.preventDefault();
    onFiles([...event.dataTransfer.files]);
  });
}
