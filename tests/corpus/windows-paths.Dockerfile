# escape=`
FROM mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022
SHELL ["pwsh", "-Command"]
RUN New-Item -ItemType Directory C:\data
COPY . C:\app\
