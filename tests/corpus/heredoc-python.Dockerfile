FROM python:3.12
RUN python3 <<EOF
with open("/hello", "w") as f:
    print("Hello", file=f)
EOF
