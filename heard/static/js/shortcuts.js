// Keyboard shortcuts for the console (documented in the README and at the foot of each page).
// Every one is a plain link or button on the page; this file only presses it.
//   n  next ticket in care order (on the queue, notifications and ticket pages)
//   r  write a reply      a  assign the ticket to me
//   Ctrl+Enter (or Cmd+Enter) in the reply editor: send
const EDITOR = "reply-text"; // the reply box (the internal note's box is #note-text)

document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (target.id === EDITOR && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    press(event, "[data-shortcut=send]");
    return;
  }
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable;
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "n") press(event, "[data-shortcut=next]");
  if (event.key === "a") press(event, "[data-shortcut=assign-me]");
  if (event.key === "r") {
    const editor = document.getElementById(EDITOR);
    if (editor) { event.preventDefault(); editor.focus(); }
  }
});

function press(event, selector) {
  const control = document.querySelector(selector);
  if (control) { event.preventDefault(); control.click(); }
}
