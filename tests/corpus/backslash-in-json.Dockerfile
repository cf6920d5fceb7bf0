FROM alpine
CMD ["sh", "-c", "echo \"quoted\" \\ backslash"]
