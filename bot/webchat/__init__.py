"""The web chat: the landing page of `canbo run`, where an official links with a code and then
talks to the same conversation as on Telegram and Zalo, with buttons, in a browser."""
