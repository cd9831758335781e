"""A demo province for trying the bot: real communes of Bắc Ninh, invented officials, courses,
bonds and a source programme, all placed around today so every answer has something to show."""
