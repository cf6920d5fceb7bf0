FROM python:3.12
RUN pip install flask
RUN pip3 install --no-cache-dir requests==2.31.0
RUN python -m pip install --user -r requirements.txt
RUN pip install .
