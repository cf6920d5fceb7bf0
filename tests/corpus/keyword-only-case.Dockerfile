FROM alpine
Run echo hi
cMd ["sh"]
