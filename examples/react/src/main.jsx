import { createRoot } from "react-dom/client";
import { App } from "./App.jsx";

const params = new URLSearchParams(location.search);
createRoot(document.getElementById("root")).render(
  <App baseUrl={params.get("baseUrl") ?? "http://127.0.0.1:3000"} inboxIdentifier={params.get("inbox") ?? "demo-inbox"} />,
);
