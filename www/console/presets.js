// Interactive messages the console can send in one click, in the shapes Chatwoot's
// documentation gives for `content_attributes` (items of input_select, form, cards and
// article), and the CSAT survey template.

/** `origin` is where this page is served: the cards' pictures come from there. */
export function presets(origin) {
  return {
    options: {
      label: "Options",
      message: {
        content: "How can we help you today?",
        contentType: "input_select",
        contentAttributes: {
          items: [
            { title: "Billing question", value: "billing" },
            { title: "Technical issue", value: "technical" },
            { title: "Talk to sales", value: "sales" },
          ],
        },
      },
    },
    form: {
      label: "Form",
      message: {
        content: "Tell us a bit more so we can route your request:",
        contentType: "form",
        contentAttributes: {
          items: [
            { name: "email", label: "Work email", type: "email", placeholder: "you@company.com" },
            { name: "plan", label: "Plan", type: "select", options: [{ label: "Hobby", value: "hobby" }, { label: "Team", value: "team" }, { label: "Enterprise", value: "enterprise" }] },
            { name: "details", label: "What happened?", type: "text_area", placeholder: "Steps, error messages…" },
          ],
        },
      },
    },
    cards: {
      label: "Cards",
      message: {
        content: "Here are the plans that fit:",
        contentType: "cards",
        contentAttributes: {
          items: [
            {
              media_url: `${origin}/www/assets/card-team.svg`,
              title: "Team",
              description: "Unlimited projects and chat support. $49/month.",
              actions: [
                { type: "link", text: "Compare plans", uri: `${origin}/www/#pricing` },
                { type: "postback", text: "Choose Team", payload: "PLAN_TEAM" },
              ],
            },
            {
              media_url: `${origin}/www/assets/card-enterprise.svg`,
              title: "Enterprise",
              description: "SSO, SLAs and a named engineer.",
              actions: [
                { type: "link", text: "Read more", uri: `${origin}/www/#pricing` },
                { type: "postback", text: "Book a call", payload: "PLAN_ENTERPRISE" },
              ],
            },
          ],
        },
      },
    },
    articles: {
      label: "Articles",
      message: {
        content: "These guides might help:",
        contentType: "article",
        contentAttributes: {
          items: [
            { title: "Getting started", description: "Create a project and deploy in five minutes.", link: "https://www.chatwoot.com/docs/product" },
            { title: "Interactive messages", description: "Options, forms, cards and articles.", link: "https://www.chatwoot.com/docs/product/others/interactive-messages" },
          ],
        },
      },
    },
    csat: {
      label: "CSAT survey",
      message: { content: "Please rate the conversation", contentType: "input_csat", messageType: "template", senderType: "none", contentAttributes: { display_type: "emoji" } },
    },
  };
}
