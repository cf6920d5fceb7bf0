FROM localhost:5000/team/base:1.0 AS base
FROM registry.example.com:443/org/sub/app:2.0
FROM [::1]:5000/x:1
