// Classic scripts only (the page's CSP allows no inline script).
window.chatApp(window.ChatwootInbox);
